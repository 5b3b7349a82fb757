// The action's post step (action.yml `runs.post`, bundled to action/dist/post.mjs): runs even after a failure or a
// cancellation, and destroys the clone unless `keep: true`.
import { runTeardownStep } from './teardown-step.js';

process.exitCode = await runTeardownStep(process.env, process.stdout);
