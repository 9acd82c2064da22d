// Human-readable training output: one progress bar per epoch, then a summary table.
import { SingleBar, Presets } from 'cli-progress';
import type { RecordedEpochEnd, RecordedEvent } from '../core/runs/recordedEvent';
import { printable, printableLines } from '../core/runs/printable';
import type { RunStartEvent, TrainingEvent } from '../core/train/trainingEvents';

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

export class ProgressDisplay {
  private bar: SingleBar | null = null;
  private epochs: RecordedEpochEnd[] = [];
  private start: RunStartEvent | null = null;

  constructor(private readonly out: NodeJS.WriteStream = process.stderr) {}

  /** Shows a live event, or one read back from metrics.jsonl (a run followed on a cluster). */
  show(event: TrainingEvent | RecordedEvent): void {
    switch (event.type) {
      case 'runStart':
        this.start = event;
        this.out.write(
          `Training ${event.classes.length} classes on ${event.trainCount} images `
          + `(${event.valCount > 0 ? `${event.valCount} validation` : 'no validation split'}, ${event.testCount} test), `
          + `${event.parameterCount.toLocaleString('en')} parameters, backend ${printable(event.backend)}`
          + `${event.threads !== undefined && event.threads > 1 ? ` on ${event.threads} threads` : ''}\n`,
        );
        break;
      case 'batchEnd':
        if (!this.bar) {
          this.bar = new SingleBar({
            format: `epoch ${event.epoch}/${this.start?.epochs ?? '?'} {bar} {value}/{total} | loss {loss} | acc {acc} | {speed} img/s`,
            stream: this.out,
            hideCursor: true,
            clearOnComplete: true,
            noTTYOutput: false,
            etaBuffer: 20,
          }, Presets.shades_classic);
          this.bar.start(event.batchesPerEpoch, 0, { loss: '-', acc: '-', speed: '-' });
        }
        this.bar.update(event.batch, {
          loss: event.loss.toFixed(4), acc: percent(event.acc), speed: Math.round(event.imagesPerSecond),
        });
        break;
      case 'epochEnd':
        this.stopBar();
        this.epochs.push(event);
        this.out.write(
          `epoch ${event.epoch}: loss ${event.loss.toFixed(4)} acc ${percent(event.acc)} | `
          + (event.valLoss !== undefined && event.valAcc !== undefined
            ? `val loss ${event.valLoss.toFixed(4)} val acc ${percent(event.valAcc)} | `
            : 'no validation split | ')
          + `${Math.round(event.imagesPerSecond)} img/s${event.isBest ? ` | best so far${event.valAcc === undefined ? ' (by training accuracy)' : ''}` : ''}\n`,
        );
        break;
      case 'testEnd':
        this.out.write(`test accuracy with the best epoch (${event.epoch}): ${percent(event.acc)}\n`);
        break;
      case 'log':
        this.stopBar();
        this.out.write(`${event.level === 'info' ? '' : `${event.level}: `}${printableLines(event.message)}\n`);
        break;
      case 'runEnd':
        this.stopBar();
        break;
    }
  }

  /** The per-epoch summary table, printed on stdout at the end of a run. */
  summary(): string {
    if (this.epochs.length === 0) return '';
    // Without a validation split there is nothing to show in validation columns: they are left out.
    const validated = this.epochs.some((e) => e.valAcc !== undefined);
    const header = ['epoch', 'loss', 'acc', ...(validated ? ['val loss', 'val acc'] : []), 'img/s', ''];
    const rows = this.epochs.map((e) => [
      String(e.epoch), e.loss.toFixed(4), percent(e.acc),
      ...(validated ? [e.valLoss?.toFixed(4) ?? '-', e.valAcc !== undefined ? percent(e.valAcc) : '-'] : []),
      String(Math.round(e.imagesPerSecond)), e.isBest ? '*' : '',
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((cell, i) => cell.padStart(widths[i])).join('  ').trimEnd();
    return [line(header), ...rows.map(line)].join('\n') + '\n';
  }

  private stopBar(): void {
    if (this.bar) {
      this.bar.stop();
      this.bar = null;
    }
  }
}
