// The plain-data result of a saliency computation, shared by both methods.

/**
 * grad-cam: the last convolution's activations weighed by the class score's gradient (the Grad-CAM
 * family: Selvaraju et al. 2017, with per-position weights as in LayerCAM, Jiang et al. 2021);
 * integrated-gradients: each pixel's value times the class score's gradient averaged along the path
 * from a black image (Sundararajan et al. 2017).
 */
export type SaliencyMethod = 'grad-cam' | 'integrated-gradients';

export interface SaliencyMap {
  method: SaliencyMethod;
  /** The class whose score was explained (an index into the run's classes). */
  classIndex: number;
  /** [height][width] at the model's input resolution, each in [0, 1]; 1 = weighed most for the class. */
  values: number[][];
  /** Grad-CAM only: the convolution layer whose activations were weighed. */
  layer?: string;
}
