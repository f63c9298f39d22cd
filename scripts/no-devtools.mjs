// In place of Ink's developer tools in the screen's one-file bundle (see
// inkWithoutDevtools in bundle.mjs): Ink loads them only when DEV=true, and
// they need react-devtools-core, which is not installed. Loading this fails
// the way Ink expects of a missing package, and Ink says so in its own words.
throw Object.assign(new Error('Cannot find package \'react-devtools-core\' (not bundled with answerphone)'), {code: 'ERR_MODULE_NOT_FOUND'});
