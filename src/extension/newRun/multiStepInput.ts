// A guided sequence of quick picks and input boxes with a Back button, shown in one quick-input
// widget: each step returns the next step; Back re-runs the previous one; Escape ends the sequence.
import * as vscode from 'vscode';

/** One step: asks with `input.pick` or `input.ask`, then returns the next step (nothing when done). */
export type InputStep = (input: MultiStepInput) => Promise<InputStep | void>;

class GoBack extends Error {}
class Cancelled extends Error {}

/** Thrown by `pick` or `ask` when the user pressed one of the step's own buttons (`actions`). */
export class InputAction extends Error {
  constructor(readonly action: string) {
    super(`The "${action}" button was pressed.`);
  }
}

/** A button in a step's title bar besides Back. */
export interface StepAction {
  id: string;
  /** A codicon name, e.g. `graph-line`. */
  icon: string;
  tooltip: string;
}

export interface StepPosition {
  title: string;
  step?: number;
  totalSteps?: number;
  actions?: readonly StepAction[];
}

export interface PickOptions<T extends vscode.QuickPickItem> extends StepPosition {
  placeholder: string;
  items: readonly T[];
  /** Items that arrive later (e.g. after reading the disk): replace `items` when they resolve. */
  itemsLater?: Promise<readonly T[]>;
  /** The item to start on; default the first one. */
  activeItem?: (item: T) => boolean;
}

export interface PickManyOptions<T extends vscode.QuickPickItem> extends StepPosition {
  placeholder: string;
  items: readonly T[];
  selected: (item: T) => boolean;
}

export interface AskOptions extends StepPosition {
  prompt: string;
  value: string;
  placeholder?: string;
  /** A message while the value is not acceptable, else undefined. */
  validate(value: string): string | undefined;
}

export class MultiStepInput {
  private current?: vscode.QuickInput;
  private readonly history: InputStep[] = [];

  /** Runs the steps from `first`; true when the last step finished, false when the user escaped. */
  static async run(first: InputStep): Promise<boolean> {
    return new MultiStepInput().stepThrough(first);
  }

  private async stepThrough(first: InputStep): Promise<boolean> {
    let step: InputStep | void = first;
    try {
      while (step) {
        this.history.push(step);
        try {
          step = await step(this);
        } catch (error) {
          if (error instanceof GoBack) {
            this.history.pop();
            step = this.history.pop();
          } else if (error instanceof Cancelled) {
            return false;
          } else {
            throw error;
          }
        }
      }
      return true;
    } finally {
      this.current?.dispose();
    }
  }

  /** Closes the widget before a step opens another dialog (a file picker); the step then returns itself to re-ask. */
  hide(): void {
    this.current?.dispose();
    this.current = undefined;
  }

  pick<T extends vscode.QuickPickItem>(options: PickOptions<T>): Promise<T> {
    const quickPick = vscode.window.createQuickPick<T>();
    this.place(quickPick, options);
    quickPick.placeholder = options.placeholder;
    quickPick.matchOnDescription = true;
    quickPick.matchOnDetail = true;
    const setItems = (items: readonly T[]) => {
      quickPick.items = items;
      const active = items.find((item) => options.activeItem?.(item)) ?? items.find((item) => item.kind !== vscode.QuickPickItemKind.Separator);
      if (active) quickPick.activeItems = [active];
    };
    setItems(options.items);
    if (options.itemsLater) {
      quickPick.busy = true;
      options.itemsLater.then(
        (items) => { setItems(items); quickPick.busy = false; },
        () => { quickPick.busy = false; },
      );
    }
    return this.show(quickPick, (resolve) => quickPick.onDidAccept(() => {
      const chosen = quickPick.selectedItems[0] ?? quickPick.activeItems[0];
      if (chosen) resolve(chosen);
    }));
  }

  pickMany<T extends vscode.QuickPickItem>(options: PickManyOptions<T>): Promise<readonly T[]> {
    return this.pickManyOrButton(options, []).then((answer) => answer.selected);
  }

  /** Like `pickMany`, with more title-bar buttons: resolves with the selection and the button pressed (none: Enter). */
  pickManyOrButton<T extends vscode.QuickPickItem>(options: PickManyOptions<T>, buttons: readonly vscode.QuickInputButton[]): Promise<{ selected: readonly T[]; button?: vscode.QuickInputButton }> {
    const quickPick = vscode.window.createQuickPick<T>();
    this.place(quickPick, options);
    quickPick.buttons = [...quickPick.buttons, ...buttons];
    quickPick.placeholder = options.placeholder;
    quickPick.canSelectMany = true;
    quickPick.items = options.items;
    quickPick.selectedItems = options.items.filter(options.selected);
    return this.show(quickPick, (resolve) => vscode.Disposable.from(
      quickPick.onDidAccept(() => resolve({ selected: quickPick.selectedItems })),
      quickPick.onDidTriggerButton((button) => {
        if (buttons.includes(button)) resolve({ selected: quickPick.selectedItems, button });
      }),
    ));
  }

  ask(options: AskOptions): Promise<string> {
    const box = vscode.window.createInputBox();
    this.place(box, options);
    box.prompt = options.prompt;
    box.value = options.value;
    box.placeholder = options.placeholder;
    return this.show(box, (resolve) => vscode.Disposable.from(
      box.onDidChangeValue((value) => { box.validationMessage = options.validate(value); }),
      box.onDidAccept(() => {
        const message = options.validate(box.value);
        box.validationMessage = message;
        if (message === undefined) resolve(box.value);
      }),
    ));
  }

  private place(input: vscode.QuickInput, position: StepPosition): void {
    input.title = position.title;
    input.step = position.step;
    input.totalSteps = position.totalSteps;
    input.ignoreFocusOut = true;
    // The first step has nothing to go back to.
    const actions = (position.actions ?? []).map((action) => ({ iconPath: new vscode.ThemeIcon(action.icon), tooltip: action.tooltip, action: action.id }));
    (input as vscode.QuickPick<vscode.QuickPickItem> | vscode.InputBox).buttons = [...(this.history.length > 1 ? [vscode.QuickInputButtons.Back] : []), ...actions];
  }

  private show<R>(input: vscode.QuickPick<vscode.QuickPickItem> | vscode.InputBox, onAccept: (resolve: (value: R) => void) => vscode.Disposable): Promise<R> {
    const listeners: vscode.Disposable[] = [];
    const answer = new Promise<R>((resolve, reject) => {
      listeners.push(
        onAccept(resolve),
        input.onDidTriggerButton((button) => {
          if (button === vscode.QuickInputButtons.Back) reject(new GoBack());
          const action = (button as { action?: unknown }).action;
          if (typeof action === 'string') reject(new InputAction(action));
        }),
        input.onDidHide(() => reject(new Cancelled())),
      );
    });
    const previous = this.current;
    this.current = input;
    input.show();
    previous?.dispose();
    return answer.finally(() => {
      for (const listener of listeners) listener.dispose();
    });
  }
}
