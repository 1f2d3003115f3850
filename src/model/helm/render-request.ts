import type { HelmRenderRequest } from '../../render/helm/helm-protocol.js';
import type { ChartSource } from './chart-source.js';
import type { HelmReleasesContext } from './helm-context.js';
import { field, type HelmReleaseSpec } from './helm-release-spec.js';
import type { releaseValues } from './values-layers.js';

export function renderRequest(
  spec: HelmReleaseSpec,
  chart: string,
  source: Extract<ChartSource, { kind: 'local' | 'remote' }>,
  values: ReturnType<typeof releaseValues>,
  capabilities: { kubeVersion: string | undefined; apiVersions: string[] },
  ctx: HelmReleasesContext,
): HelmRenderRequest {
  const s = spec.spec;
  const install = field(s, 'install') ?? {};
  const test = field(s, 'test') ?? {};
  const common = field(s, 'commonMetadata');
  return {
    chart,
    ...(source.kind === 'local' ? { sourceRoot: source.sourceRoot } : {}),
    ...(source.valuesFiles.files.length > 0
      ? { valuesFiles: source.valuesFiles.files, ignoreMissingValuesFiles: source.valuesFiles.ignoreMissing }
      : {}),
    valuesFrom: values.valuesFrom,
    ...(values.values ? { values: values.values } : {}),
    releaseName: spec.releaseName,
    namespace: spec.releaseNamespace,
    owner: { name: spec.name, namespace: spec.namespace },
    ...(capabilities.kubeVersion ? { kubeVersion: capabilities.kubeVersion } : {}),
    apiVersions: capabilities.apiVersions,
    ...(typeof install.crds === 'string' ? { crds: install.crds } : {}),
    ...(Array.isArray(s.postRenderers)
      ? { postRenderers: s.postRenderers as HelmRenderRequest['postRenderers'] }
      : {}),
    ...(common ? { commonMetadata: common as HelmRenderRequest['commonMetadata'] } : {}),
    ...(typeof s.postRenderStrategy === 'string' ? { postRenderStrategy: s.postRenderStrategy } : {}),
    ...(install.disableSchemaValidation === true ? { disableSchemaValidation: true } : {}),
    ...(install.disableHooks === true ? { disableHooks: true } : {}),
    ...(test.enable === true ? { tests: true } : {}),
    ...(ctx.helm.network ? { network: true } : {}),
  };
}
