// How long the runs table's work takes for many runs, apart from the webview's loading: building the rows
// from run.json records (extension side), the snapshot's JSON size, and sorting and filtering them (page
// side, per keystroke or header click). Not a test: numbers depend on the machine and its load; each step
// is repeated and the median printed, in wall-clock time and in this process's CPU time (which stays
// meaningful when other processes share the cores).
//
//   node --import tsx bench/runsTableBench.ts [--runs 1000] [--repeat 9]
import { parseArgs } from 'node:util';
import { runsTableData } from '../src/extension/webviews/runsTable/runsTableData';
import { makeRunRecords } from '../test/fixtures/manyRuns';
import { queryRows } from '../webview/runsTable/tableModel';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '1000' }, repeat: { type: 'string', default: '9' } } });
const runs = Number(values.runs);
const repeat = Number(values.repeat);

function median(label: string, work: () => unknown): void {
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < repeat; i += 1) {
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    work();
    const used = process.cpuUsage(cpuStarted);
    cpu.push((used.user + used.system) / 1000);
    times.push(performance.now() - started);
  }
  const middle = (list: number[]): string => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)].toFixed(1);
  console.log(`${label.padEnd(40)} median ${middle(times).padStart(7)} ms wall, ${middle(cpu).padStart(7)} ms CPU`);
}

const records = makeRunRecords(runs, '/data/mnist-digits');
const { columns, rows } = runsTableData(records);
console.log(`${runs} runs, ${columns.length} columns, snapshot ${(JSON.stringify({ columns, rows }).length / 1024).toFixed(0)} KiB`);
median('rows from records (extension)', () => runsTableData(records));
median('sort by best val acc', () => queryRows(rows, columns, { text: '', columnFilters: {}, sort: { key: 'bestValAcc', direction: 'desc' } }));
median('sort by name', () => queryRows(rows, columns, { text: '', columnFilters: {}, sort: { key: 'name', direction: 'asc' } }));
median('filter by words + column, then sort', () => queryRows(rows, columns, { text: 'adam cnn', columnFilters: { bestValAcc: '>50' }, sort: { key: 'training.learningRate', direction: 'asc' } }));
