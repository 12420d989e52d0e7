export interface BenchRow { measure: string; subject: string; value: number; unit: string; baseline: boolean; note?: string }
