package io.perpetua.core.pipeline;

/**
 * How often the sequencer reads its clock to stamp commands. Either way timestamps never go
 * backwards and are journaled with the command, so replay sees the same time.
 */
public enum Stamping
{
    /**
     * One reading for each ring batch, taken as the batch's first command is stamped: every command
     * of the batch was already in the ring then, so none is stamped before it arrived. Commands that
     * queued up together share a timestamp. Under load this saves a clock read per command (about
     * 25 ns on the VM of docs/benchmarks.md, a sixth of the core's time per command); an idle
     * exchange sees batches of one command and the same timestamps as {@link #EACH_COMMAND}.
     */
    EACH_BATCH,

    /**
     * One reading for each command: for deterministic test and benchmark clocks whose readings are
     * tied to the command count (a stepping clock stamps command {@code k} at {@code origin + k * step}).
     */
    EACH_COMMAND
}
