package io.perpetua.core.market;

import io.perpetua.core.sbe.RejectReason;

/**
 * A market specification that cannot be accepted. Raised only while applying AddMarket or
 * UpdateMarket, which the engine turns into a {@code Rejected} event; never on the matching path.
 */
public final class InvalidSpecException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final transient RejectReason reason;

    public InvalidSpecException(final RejectReason reason, final String message)
    {
        super(message, null, false, false);
        this.reason = reason;
    }

    public RejectReason reason()
    {
        return reason;
    }
}
