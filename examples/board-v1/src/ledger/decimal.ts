// task-6 (failed): amounts as decimal strings instead of floating point.
export type DecimalAmount = string;
