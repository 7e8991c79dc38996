// A minimal market-maker client built from codecs that sbe-tool generates from the published schema
// (gateway/src/main/resources/sbe/perpetua-mm.xml). It establishes a session, places one limit
// order and prints the execution reports it receives until the order's first one; then it
// subscribes to the market's order-by-order data with a snapshot, prints the snapshot, and reads
// updates until its own order is on the book.
// Usage: sbe_client PORT API_KEY TIMESTAMP_MS NONCE SIGNATURE MARKET_ID PRICE SIZE CLIENT_ORDER_ID
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "perpetua_mm/MessageHeader.h"
#include "perpetua_mm/Establish.h"
#include "perpetua_mm/EstablishAck.h"
#include "perpetua_mm/NewOrder.h"
#include "perpetua_mm/ExecutionReport.h"
#include "perpetua_mm/BusinessReject.h"
#include "perpetua_mm/Terminate.h"
#include "perpetua_mm/MarketDataSubscribe.h"
#include "perpetua_mm/MarketDataStatus.h"
#include "perpetua_mm/MarketDataReject.h"
#include "perpetua_mm/BookSnapshot.h"
#include "perpetua_mm/OrderAdd.h"

using namespace perpetua_mm;

static const std::uint16_t ENCODING_TYPE = 0xEB50;

static void fail(const std::string& message)
{
    std::fprintf(stderr, "sbe_client: %s\n", message.c_str());
    std::exit(1);
}

static void sendAll(int fd, const char* data, std::size_t length)
{
    while (length > 0)
    {
        const ssize_t sent = ::send(fd, data, length, 0);
        if (sent <= 0)
        {
            fail("send failed");
        }
        data += sent;
        length -= static_cast<std::size_t>(sent);
    }
}

static void recvAll(int fd, char* data, std::size_t length)
{
    while (length > 0)
    {
        const ssize_t received = ::recv(fd, data, length, 0);
        if (received <= 0)
        {
            fail("connection closed by the server");
        }
        data += received;
        length -= static_cast<std::size_t>(received);
    }
}

// Writes the Simple Open Framing Header in front of an encoded message and sends the frame.
static void sendFrame(int fd, std::vector<char>& frame, std::size_t messageLength)
{
    const std::uint32_t length = htonl(static_cast<std::uint32_t>(6 + messageLength));
    const std::uint16_t type = htons(ENCODING_TYPE);
    std::memcpy(frame.data(), &length, 4);
    std::memcpy(frame.data() + 4, &type, 2);
    sendAll(fd, frame.data(), 6 + messageLength);
}

static std::vector<char> readFrame(int fd)
{
    char header[6];
    recvAll(fd, header, 6);
    std::uint32_t length;
    std::uint16_t type;
    std::memcpy(&length, header, 4);
    std::memcpy(&type, header + 4, 2);
    if (ntohs(type) != ENCODING_TYPE || ntohl(length) < 14 || ntohl(length) > 65536)
    {
        fail("bad frame from the server");
    }
    std::vector<char> message(ntohl(length) - 6);
    recvAll(fd, message.data(), message.size());
    return message;
}

static void putChars(char* field, std::size_t capacity, const char* value)
{
    std::memset(field, 0, capacity);
    std::strncpy(field, value, capacity);
}

int main(int argc, char** argv)
{
    if (argc != 10)
    {
        fail("usage: sbe_client PORT API_KEY TIMESTAMP_MS NONCE SIGNATURE MARKET_ID PRICE SIZE CLIENT_ORDER_ID");
    }
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(std::atoi(argv[1])));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0)
    {
        fail("cannot connect to 127.0.0.1");
    }
    const int noDelay = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &noDelay, sizeof(noDelay));

    std::vector<char> frame(512);
    MessageHeader header;

    Establish establish;
    establish.wrapAndApplyHeader(frame.data(), 6, frame.size() - 6);
    putChars(establish.apiKey(), Establish::apiKeyLength(), argv[2]);
    establish.timestampMs(std::strtoll(argv[3], nullptr, 10));
    putChars(establish.nonce(), Establish::nonceLength(), argv[4]);
    putChars(establish.signature(), Establish::signatureLength(), argv[5]);
    establish.keepAliveIntervalMs(30000).nextExpectedSeqNo(0);
    sendFrame(fd, frame, MessageHeader::encodedLength() + establish.encodedLength());

    std::vector<char> reply = readFrame(fd);
    header.wrap(reply.data(), 0, 0, reply.size());
    if (header.templateId() != EstablishAck::sbeTemplateId())
    {
        fail("Establish refused (template " + std::to_string(header.templateId()) + ")");
    }
    EstablishAck ack;
    ack.wrapForDecode(reply.data(), MessageHeader::encodedLength(), header.blockLength(), header.version(), reply.size());
    std::printf("established account=%lld nextSeqNo=%lld\n", static_cast<long long>(ack.accountId()),
        static_cast<long long>(ack.nextSeqNo()));

    const long long clientOrderId = std::strtoll(argv[9], nullptr, 10);
    NewOrder order;
    order.wrapAndApplyHeader(frame.data(), 6, frame.size() - 6)
        .clientOrderId(clientOrderId)
        .marketId(std::atoi(argv[6]))
        .side(Side::BUY)
        .orderType(OrderType::LIMIT)
        .timeInForce(TimeInForce::GTC)
        .selfTradePrevention(SelfTradePrevention::CANCEL_MAKER)
        .price(std::strtoll(argv[7], nullptr, 10))
        .size(std::strtoll(argv[8], nullptr, 10))
        .expiryNs(0);
    order.flags().clear();
    sendFrame(fd, frame, MessageHeader::encodedLength() + order.encodedLength());

    std::int64_t orderId = 0;
    while (true)
    {
        reply = readFrame(fd);
        header.wrap(reply.data(), 0, 0, reply.size());
        if (header.templateId() == ExecutionReport::sbeTemplateId())
        {
            ExecutionReport report;
            report.wrapForDecode(reply.data(), MessageHeader::encodedLength(), header.blockLength(), header.version(),
                reply.size());
            std::printf("execution report seqNo=%lld orderId=%lld clientOrderId=%lld execType=%s leavesQty=%lld\n",
                static_cast<long long>(report.seqNo()), static_cast<long long>(report.orderId()),
                static_cast<long long>(report.clientOrderId()), ExecType::c_str(report.execType()),
                static_cast<long long>(report.leavesQty()));
            if (report.clientOrderId() == clientOrderId)
            {
                orderId = report.orderId();
                break;
            }
        }
        else if (header.templateId() == BusinessReject::sbeTemplateId() || header.templateId() == Terminate::sbeTemplateId())
        {
            fail("refused (template " + std::to_string(header.templateId()) + ")");
        }
    }

    const int marketId = std::atoi(argv[6]);
    MarketDataSubscribe subscribe;
    subscribe.wrapAndApplyHeader(frame.data(), 6, frame.size() - 6)
        .requestId(1)
        .marketId(marketId)
        .snapshot(YesNo::YES);
    sendFrame(fd, frame, MessageHeader::encodedLength() + subscribe.encodedLength());

    // The order may be in the snapshot or, if the feed had not reached it yet, arrive as an OrderAdd.
    bool snapshotRead = false;
    bool orderSeen = false;
    while (!snapshotRead || !orderSeen)
    {
        reply = readFrame(fd);
        header.wrap(reply.data(), 0, 0, reply.size());
        if (header.templateId() == MarketDataStatus::sbeTemplateId())
        {
            MarketDataStatus status;
            status.wrapForDecode(reply.data(), MessageHeader::encodedLength(), header.blockLength(), header.version(),
                reply.size());
            std::printf("%s market=%d mdSeqNo=%lld\n", SubscriptionStatus::c_str(status.status()), status.marketId(),
                static_cast<long long>(status.mdSeqNo()));
        }
        else if (header.templateId() == BookSnapshot::sbeTemplateId())
        {
            BookSnapshot snapshot;
            snapshot.wrapForDecode(reply.data(), MessageHeader::encodedLength(), header.blockLength(), header.version(),
                reply.size());
            const int market = snapshot.marketId();
            const long long mdSeqNo = static_cast<long long>(snapshot.mdSeqNo());
            const unsigned part = snapshot.part();
            const unsigned partCount = snapshot.partCount();
            BookSnapshot::Orders& orders = snapshot.orders();
            std::printf("snapshot market=%d mdSeqNo=%lld part=%u/%u orders=%llu\n", market, mdSeqNo, part, partCount,
                static_cast<unsigned long long>(orders.count()));
            while (orders.hasNext())
            {
                orders.next();
                std::printf("  order id=%lld side=%s price=%lld size=%lld\n", static_cast<long long>(orders.orderId()),
                    Side::c_str(orders.side()), static_cast<long long>(orders.price()),
                    static_cast<long long>(orders.size()));
                orderSeen = orderSeen || orders.orderId() == orderId;
            }
            snapshotRead = part == partCount;
        }
        else if (header.templateId() == OrderAdd::sbeTemplateId())
        {
            OrderAdd add;
            add.wrapForDecode(reply.data(), MessageHeader::encodedLength(), header.blockLength(), header.version(),
                reply.size());
            std::printf("update mdSeqNo=%lld OrderAdd id=%lld price=%lld size=%lld\n",
                static_cast<long long>(add.mdSeqNo()), static_cast<long long>(add.orderId()),
                static_cast<long long>(add.price()), static_cast<long long>(add.size()));
            orderSeen = orderSeen || add.orderId() == orderId;
        }
        else if (header.templateId() == MarketDataReject::sbeTemplateId() || header.templateId() == Terminate::sbeTemplateId())
        {
            fail("market data refused (template " + std::to_string(header.templateId()) + ")");
        }
    }
    std::printf("book has order %lld\n", static_cast<long long>(orderId));
    ::close(fd);
    return 0;
}
