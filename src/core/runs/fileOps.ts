// The file-system calls the run store changes the disk with, behind one interface, so that tests can
// put a fault (a full disk, a process killed between two steps) at any one of them.
import { promises as fs } from 'node:fs';

/** An open file, as far as the store writes it. */
export interface OpenFile {
  write(buffer: Uint8Array, offset: number, length: number, position?: number | null): Promise<{ bytesWritten: number }>;
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  stat(): Promise<{ size: number }>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** Every call that changes the disk goes through one of these; reads go straight to `fs`. */
export interface FileOps {
  /** `flags` as for fs.open: 'w', 'a+', 'r'... */
  open(path: string, flags: string): Promise<OpenFile>;
  mkdir(path: string, options?: { recursive?: boolean }): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  rm(path: string, options?: { recursive?: boolean; force?: boolean }): Promise<void>;
  appendFile(path: string, data: string): Promise<void>;
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
}

/** The real file system. */
export const nodeFileOps: FileOps = {
  open: (path, flags) => fs.open(path, flags),
  mkdir: async (path, options) => {
    await fs.mkdir(path, options);
  },
  rename: (from, to) => fs.rename(from, to),
  rm: (path, options) => fs.rm(path, options),
  appendFile: (path, data) => fs.appendFile(path, data, 'utf8'),
  writeFile: (path, data) => fs.writeFile(path, data),
};
