// Ctrl+C / SIGTERM as a cancel request: the first asks politely (abort), a second quits at once.

/** Aborts the returned controller on the first SIGINT or SIGTERM, printing `message`; a second one exits with 130. */
export function cancelOnSignals(message = 'Stopping after the current batch (Ctrl+C again to quit now)...'): AbortController {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write(`\n${message}\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller;
}
