// Work done at most once per animation frame, however often it is asked for before then.

/** A function that runs `work` in the next animation frame; calls until then fold into that one run. */
export function oncePerFrame(work: () => void): () => void {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      work();
    });
  };
}
