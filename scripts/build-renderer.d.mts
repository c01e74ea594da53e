export function buildRenderer(outDir: string): Promise<void>;
