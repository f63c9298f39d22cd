// In place of react-devtools-core in the screen's one-file bundle (see
// bundle.mjs): Ink loads it only when DEV=true, and it is not installed. As
// in the rest of the bundle, where it is left out, loading it fails the way
// Ink expects, and Ink says so in its own words.
function notInstalled() {
	throw Object.assign(new Error('Cannot find package \'react-devtools-core\' (not bundled with answerphone)'), {code: 'ERR_MODULE_NOT_FOUND'});
}

export default notInstalled();
