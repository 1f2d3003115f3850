/**
 * What source-controller leaves out of every artifact before Flux builds it
 * (fluxcd/pkg sourceignore: VCS files, CI configuration, SOPS and flux config files).
 * fluxgate does not load what Flux never sees.
 */
export const FLUX_DEFAULT_IGNORES = [
  '**/.git/**',
  '**/.github/**',
  '**/.circleci/**',
  '**/.travis.yml',
  '**/.gitlab-ci.yml',
  '**/appveyor.yml',
  '**/.drone.yml',
  '**/cloudbuild.yaml',
  '**/codeship-services.yml',
  '**/codeship-steps.yml',
  '**/.goreleaser.yml',
  '**/.sops.yaml',
  '**/.flux.yaml',
];
