// Names the libvips build a child process decodes photos with, once, on its stdout (which the extension
// shows in its Classifier Lab log): the platform's native build or the WebAssembly one, and its version.
import { describeLibvips, onLibvipsLoaded } from '../core/data/libvips';

/** Prints "Photos are decoded with libvips 8.17.3 (native build for linux-x64, sharp 0.34.5)." when libvips first loads. */
export function reportLibvipsBuild(): void {
  onLibvipsLoaded((info) => process.stdout.write(`Photos are decoded with ${describeLibvips(info)}.\n`));
}
