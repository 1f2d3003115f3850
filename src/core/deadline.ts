/** What a run stopped at its deadline says, wherever it was stopped (validate, the CLI's watchdog). */
export function deadlineMessage(seconds: number): string {
  return `the run took longer than ${seconds} s and was stopped (--timeout, timeoutSeconds in .fluxgate.yaml)`;
}
