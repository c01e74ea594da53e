import { CliError, type CliContext } from './context';

export async function run(args: string[], _ctx: CliContext): Promise<number> {
  throw new CliError(`${args[0]}: not built yet`);
}
