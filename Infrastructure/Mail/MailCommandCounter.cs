using MailKit;

namespace MailAccounts.Infrastructure.Mail;

/// <summary>
/// Counts the connections opened and the IMAP commands sent through them, and records nothing else (no command
/// text, so no password either). Give <see cref="Mailboxes.MailSessions.ProtocolLoggers"/> its <see cref="NewLogger"/>: the
/// listing benchmark counts the commands a page costs with it, and specs count sign-ins.
/// </summary>
public sealed class MailCommandCounter
{
    private int _connections;
    private int _commands;

    /// <summary>Connections that were opened (one logger is made per connection).</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Tagged IMAP commands sent over all of them.</summary>
    public int Commands => Volatile.Read(ref _commands);

    public IProtocolLogger NewLogger()
    {
        Interlocked.Increment(ref _connections);
        return new Logger(this);
    }

    /// <summary>
    /// A command is a line that starts with MailKit's tag (a letter and eight digits, then a space); literals and
    /// SASL continuations sent by the client are lines too, but never start that way.
    /// </summary>
    private sealed class Logger(MailCommandCounter counter) : IProtocolLogger
    {
        private const int TagLength = 10;
        private readonly byte[] _lineStart = new byte[TagLength];
        private int _seen;

        public IAuthenticationSecretDetector? AuthenticationSecretDetector { get; set; }

        public void LogConnect(Uri uri)
        {
        }

        public void LogClient(byte[] buffer, int offset, int count)
        {
            for (var i = offset; i < offset + count; i++)
            {
                if (buffer[i] == (byte)'\n')
                {
                    _seen = 0;
                    continue;
                }

                if (_seen < TagLength)
                {
                    _lineStart[_seen++] = buffer[i];
                    if (_seen == TagLength && IsTag(_lineStart))
                    {
                        Interlocked.Increment(ref counter._commands);
                    }
                }
            }
        }

        public void LogServer(byte[] buffer, int offset, int count)
        {
        }

        public void Dispose()
        {
        }

        private static bool IsTag(byte[] start) =>
            start[0] is >= (byte)'A' and <= (byte)'Z' && start.AsSpan(1, 8).IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0 && start[9] == (byte)' ';
    }
}
