// The action's main step (action.yml `runs.main`, bundled to action/dist/main.mjs).
import { runCloneStep } from './clone-step.js';

process.exitCode = await runCloneStep(process.env, process.stdout);
