/**
 * Account authorisation: Ed25519 keys on raw encodings and the signed layouts of the requests that
 * move an account's money.
 *
 * <h2>Keys and signatures</h2>
 * Ed25519 as in RFC 8032: keys made and messages signed by the JDK ({@code KeyPairGenerator} /
 * {@code Signature} "Ed25519"), signatures verified by BouncyCastle's low-level RFC 8032 code, which
 * allocates a tenth of what the JDK's does; see {@link io.perpetua.risk.auth.Ed25519Keys}. A public key
 * is its 32-byte RFC 8032 encoding (canonical: y below p), a private key its 32-byte seed, a signature
 * 64 bytes (S below the group order, R canonical). Public keys of small order are refused, because a
 * fixed signature verifies under them for any message.
 *
 * <h2>Signed request layouts</h2>
 * An owner signs these bytes exactly (all integers little-endian two's complement, no padding); see
 * {@link io.perpetua.risk.auth.SignedRequests}. Each layout starts with an ASCII domain tag naming
 * the request and its version, so a signature for one kind of request (or for an oracle price) can
 * never be presented as another: the tags differ within their first 20 bytes and every layout has a
 * fixed length.
 *
 * <pre>
 * withdrawal (52 bytes)                     transfer (60 bytes)
 * offset size field                         offset size field
 *      0   20 "perpetua/withdraw/v1"             0   20 "perpetua/transfer/v1"
 *     20    8 accountId       int64             20    8 fromAccountId   int64
 *     28    8 amountQuantums  int64             28    8 toAccountId     int64
 *     36    8 nonce           int64             36    8 amountQuantums  int64
 *     44    8 expiryNs        int64             44    8 nonce           int64
 *                                               52    8 expiryNs        int64
 * </pre>
 *
 * <ul>
 *   <li>{@code amountQuantums} is in USDC quantums (6 decimals); a transfer is signed by the owner of
 *       {@code fromAccountId}.</li>
 *   <li>{@code nonce} is chosen by the owner; the ledger keeps the last nonce it accepted per account and
 *       rejects a request whose nonce is not greater, so a signed request executes at most once.</li>
 *   <li>{@code expiryNs} is compared with the command's sequencer timestamp; a request sequenced after
 *       its expiry is rejected, so a signed request cannot be held back and used much later.</li>
 * </ul>
 * Verification here is purely cryptographic; the nonce, expiry and amount checks are the ledger's.
 */
package io.perpetua.risk.auth;
