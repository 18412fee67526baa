// Seeds and statistics (layer "stats"): intervals, paired differences, bands and window reducers.
export { tQuantile975 } from './tQuantile';
export { mean, sampleSd } from './summary';
export { tInterval, type MeanInterval } from './tInterval';
export { bootstrapInterval, quantileSorted, DEFAULT_BOOTSTRAP_RESAMPLES, DEFAULT_BOOTSTRAP_SEED, type BootstrapInterval, type BootstrapOptions } from './bootstrap';
export { pairedDifference, verdictOf, type PairedDifference, type PairedVerdict } from './pairedDifference';
export { band, type BandKind, type BandPoint } from './band';
export { areaUnderCurve, finalValue, lastK } from './windows';
export { stepBand, type StepBandPoint, type XY } from './stepBand';
export { debiasedEma } from './smoothing';
