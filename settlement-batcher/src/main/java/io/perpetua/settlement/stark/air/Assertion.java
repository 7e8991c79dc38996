package io.perpetua.settlement.stark.air;

/**
 * A boundary constraint: the trace cell at (column, row) equals {@code value}.
 *
 * <p>Why: this is how public inputs enter the statement; the prover proves the trace polynomial
 * minus the value is divisible by (x - w^row).
 *
 * @param column trace column
 * @param row    trace row
 * @param value  canonical field element
 */
public record Assertion(int column, int row, long value)
{
}
