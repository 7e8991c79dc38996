package io.perpetua.settlement.stark.air;

/**
 * The execution trace: {@code width} columns of {@code length} field elements, column-major.
 *
 * <p>Why column-major: every prover step after trace building (interpolation, extension,
 * commitment) works on whole columns.
 */
public final class TraceTable
{
    private final long[][] columns;
    private final int length;

    public TraceTable(final int width, final int length)
    {
        if (length < 8 || Integer.bitCount(length) != 1)
        {
            throw new IllegalArgumentException("trace length must be a power of two >= 8: " + length);
        }
        this.columns = new long[width][length];
        this.length = length;
    }

    public int width()
    {
        return columns.length;
    }

    public int length()
    {
        return length;
    }

    public long get(final int column, final int row)
    {
        return columns[column][row];
    }

    /** Sets a cell to a canonical field element. */
    public void set(final int column, final int row, final long value)
    {
        columns[column][row] = value;
    }

    /** The live column array (no copy): the prover reads it, tests tamper with it. */
    public long[] column(final int column)
    {
        return columns[column];
    }

    /** Copies row {@code row} into {@code out}. */
    public void readRow(final int row, final long[] out)
    {
        for (int c = 0; c < columns.length; c++)
        {
            out[c] = columns[c][row];
        }
    }

    /** A deep copy, for tests that derive a bad trace from a good one. */
    public TraceTable copy()
    {
        final TraceTable t = new TraceTable(columns.length, length);
        for (int c = 0; c < columns.length; c++)
        {
            System.arraycopy(columns[c], 0, t.columns[c], 0, length);
        }
        return t;
    }
}
