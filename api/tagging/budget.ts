/**
 * The budget cap of a run: before an item is started, its expected cost is reserved, and no
 * item starts whose reservation would take spending (done plus in flight) over the budget. A
 * run without a budget never stops for money.
 */
export class BudgetGuard {
  private reserved = 0;
  /** True once an item was refused: the run stops as `budget_exceeded`. */
  hit = false;

  constructor(
    /** USD; null: no cap */
    private readonly budgetUsd: number | null,
    /** USD already spent by the run (a resumed run carries its spending) */
    private spentUsd: number,
    /** USD an item is expected to cost, all repeats included */
    private readonly perItemUsd: number,
  ) {}

  /** Reserves an item's expected cost; false (and `hit`) when that would break the budget. */
  tryReserve(): boolean {
    if (this.budgetUsd !== null && this.spentUsd + this.reserved + this.perItemUsd > this.budgetUsd) {
      this.hit = true;
      return false;
    }
    this.reserved += this.perItemUsd;
    return true;
  }

  /** Ends an item's reservation with what it really cost. */
  settle(actualUsd: number): void {
    this.reserved -= this.perItemUsd;
    this.spentUsd += actualUsd;
  }

  get message(): string {
    return `budget of $${this.budgetUsd} reached; resume with a higher budget to continue`;
  }
}
