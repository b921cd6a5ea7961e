export { checkCharacters, hasValidCheck } from './check-character.js';
export { encodeCode, parseCode, type KerfCode, type ParsedCode } from './codes.js';
