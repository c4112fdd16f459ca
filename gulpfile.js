// tsc does not copy static files: this task copies the top-level icons/ folder into dist/icons/,
// where the compiled nodes and credentials reference them (`file:../../icons/x.svg`).
const { src, dest } = require('gulp');

function buildIcons() {
	return src('icons/**/*.{png,svg}').pipe(dest('dist/icons'));
}

exports['build:icons'] = buildIcons;
