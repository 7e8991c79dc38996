package io.perpetua.gateway.trading;

/** A request refused by the gateway, with its code and a message for people. */
public final class TradingException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    public TradingException(final ErrorCode code, final String message)
    {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code()
    {
        return code;
    }
}
