// Composition root: wires store, feeds, compose, queue and X client into an AppService.
import type { AppService, EngineOptions } from './app-service';
import { CommandError } from './errors';

export async function openEngine(_options: EngineOptions): Promise<AppService> {
  throw new CommandError('internal', 'The engine is not wired yet.');
}
