// Injected at build time would be nicer; the package version is enough for a lane to report.
export const VERSION = '0.1.0';
