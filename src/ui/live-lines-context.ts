import {createContext} from 'react';
import type {LiveLines} from './live-lines.js';

/** The terminal's live lines, when the machine runs on a real one; undefined in tests. */
export const LiveLinesContext = createContext<LiveLines | undefined>(undefined);
