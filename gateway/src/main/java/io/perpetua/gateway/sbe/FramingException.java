package io.perpetua.gateway.sbe;

import io.perpetua.gateway.sbe.codec.SessionRejectCode;

/** A protocol violation that ends the session: the code and reason go into the Terminate message. */
final class FramingException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    private final transient SessionRejectCode code;

    FramingException(final SessionRejectCode code, final String reason)
    {
        super(reason, null, false, false);
        this.code = code;
    }

    SessionRejectCode code()
    {
        return code;
    }
}
