import { writeWorkflowBundle } from '../src/temporal/workflow-bundle';

/** `npm run bundle [path]`: the prebuilt workflow bundle the container image ships (default dist/workflow-bundle.js). */
const target = process.argv[2] ?? 'dist/workflow-bundle.js';
const { path, bytes } = await writeWorkflowBundle(target);
console.log(`workflow bundle: ${path} (${(bytes / 1024).toFixed(0)} KiB)`);
