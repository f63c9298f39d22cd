// Types for scripts/segmenter-on-demand.mjs (Intl.Segmenter's).
export declare const OnDemandSegmenter: typeof Intl.Segmenter;
