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

    /// <summary>
    /// Messages fetched in full for the message list: the UIDs named by UID FETCH commands that ask for BODYSTRUCTURE
    /// (envelope, structure and preview), as opposed to those asking for flags alone.
    /// </summary>
    public int FetchedInFull => Volatile.Read(ref _fetchedInFull);

    private int _fetchedInFull;

    /// <summary>Whole messages fetched (the UIDs named by UID FETCH commands that ask for BODY.PEEK[] or BODY[]): what an import costs.</summary>
    public int BodiesFetched => Volatile.Read(ref _bodiesFetched);

    private int _bodiesFetched;

    /// <summary>Bytes the servers sent over all the connections.</summary>
    public long ServerBytes => Interlocked.Read(ref _serverBytes);

    private long _serverBytes;

    /// <summary>UID SORT commands sent: what a kept sort saves.</summary>
    public int Sorts => Volatile.Read(ref _sorts);

    private int _sorts;

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
        private const int FetchLineLength = 4096;
        private static readonly byte[] UidFetch = "UID FETCH "u8.ToArray();
        private static readonly byte[] UidSort = "UID SORT "u8.ToArray();
        private readonly byte[] _lineStart = new byte[TagLength];
        private int _seen;

        // The start of a tagged command's line after the tag, to tell a SORT.
        private readonly byte[] _head = new byte[UidSort.Length];
        private int _headCount;
        private bool _tagged;

        // The rest of a UID FETCH command's line, to count the UIDs it names; any other line is never kept.
        private readonly List<byte> _fetch = [];
        private bool _inCommand;

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
                    if (_inCommand && _fetch.Count >= UidFetch.Length && _fetch.Take(UidFetch.Length).SequenceEqual(UidFetch))
                    {
                        var line = System.Text.Encoding.ASCII.GetString([.. _fetch]);
                        Interlocked.Add(ref counter._fetchedInFull, FetchedUids(line, "BODYSTRUCTURE"));
                        Interlocked.Add(ref counter._bodiesFetched, FetchedUids(line, "BODY.PEEK[]") + FetchedUids(line, "BODY[]"));
                    }

                    if (_tagged && _headCount == UidSort.Length && _head.AsSpan().SequenceEqual(UidSort))
                    {
                        Interlocked.Increment(ref counter._sorts);
                    }

                    (_seen, _inCommand, _tagged, _headCount) = (0, false, false, 0);
                    _fetch.Clear();
                    continue;
                }

                if (_seen < TagLength)
                {
                    _lineStart[_seen++] = buffer[i];
                    if (_seen == TagLength && IsTag(_lineStart))
                    {
                        Interlocked.Increment(ref counter._commands);
                        (_inCommand, _tagged) = (true, true);
                    }

                    continue;
                }

                if (_tagged && _headCount < _head.Length)
                {
                    _head[_headCount++] = buffer[i];
                }

                if (_inCommand && _fetch.Count < FetchLineLength
                    && (_fetch.Count >= UidFetch.Length || buffer[i] == UidFetch[_fetch.Count]))
                {
                    _fetch.Add(buffer[i]);
                }
                else
                {
                    _inCommand = false;
                }
            }
        }

        public void LogServer(byte[] buffer, int offset, int count) => Interlocked.Add(ref counter._serverBytes, count);

        public void Dispose()
        {
        }

        /// <summary>"UID FETCH 3:5,9 (UID … BODYSTRUCTURE …)" names 4 messages fetched with BODYSTRUCTURE; a flags-only fetch names none.</summary>
        private static int FetchedUids(string line, string item)
        {
            var parts = line.Split(' ', 4);
            if (parts.Length < 4 || !parts[3].Contains(item, StringComparison.Ordinal))
            {
                return 0;
            }

            return parts[2].Split(',').Sum(range =>
            {
                var ends = range.Split(':');
                return ends.Length == 2 && uint.TryParse(ends[0], out var from) && uint.TryParse(ends[1], out var to)
                    ? (int)(Math.Max(from, to) - Math.Min(from, to) + 1)
                    : 1;
            });
        }

        private static bool IsTag(byte[] start) =>
            start[0] is >= (byte)'A' and <= (byte)'Z' && start.AsSpan(1, 8).IndexOfAnyExceptInRange((byte)'0', (byte)'9') < 0 && start[9] == (byte)' ';
    }
}
