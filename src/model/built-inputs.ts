import type { RenderStage } from './render-stage.js';

/** Files (and directories) some build read: their manifests are checked as rendered, not as written. */
export function builtInputs(render: Pick<RenderStage, 'builds'>): (file: string) => boolean {
  const inputs = new Set(render.builds.flatMap((b) => b.inputs));
  return (file) => {
    for (
      let at = file;
      at !== '' && at !== '.';
      at = at.includes('/') ? at.slice(0, at.lastIndexOf('/')) : ''
    ) {
      if (inputs.has(at)) return true;
    }
    return false;
  };
}
