using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace MailAccounts.Infrastructure.Import;

/// <summary>
/// Where an attachment's base64 text was taken out of the raw message it came in (as Dovecot's single-instance
/// attachment storage does): at byte <paramref name="At"/> of the raw message, <paramref name="Length"/> bytes long, the
/// base64 of the attachment stored under <paramref name="Sha256"/>, in lines of <paramref name="LineLength"/> characters
/// ended by CRLF when <paramref name="Crlf"/> (LF otherwise), the last line shorter or as long, with no line end after it.
/// The attachment's bytes are then kept once, in the attachment table, and not a second time inside every message that
/// carries them.
/// </summary>
public sealed record DetachedPart(long At, long Length, string Sha256, int LineLength, bool Crlf)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string ToJson(IReadOnlyList<DetachedPart> parts) => JsonSerializer.Serialize(parts, Json);

    public static IReadOnlyList<DetachedPart> FromJson(string json) => JsonSerializer.Deserialize<List<DetachedPart>>(json, Json) ?? [];

    /// <summary>
    /// Writes the base64 text back exactly as it was: <see cref="Base64Shape"/> took out only text that this writes
    /// again byte for byte from the attachment's bytes.
    /// </summary>
    public void WriteTo(ReadOnlySpan<byte> content, Stream into)
    {
        var encoded = ArrayPool<byte>.Shared.Rent(Base64.GetMaxEncodedToUtf8Length(content.Length));
        try
        {
            Base64.EncodeToUtf8(content, encoded, out _, out var written);
            if (written != Length - (written - 1) / LineLength * (Crlf ? 2 : 1))
            {
                throw new InvalidDataException($"The attachment {Sha256} does not fill the base64 text it was taken from.");
            }

            ReadOnlySpan<byte> end = Crlf ? "\r\n"u8 : "\n"u8;
            for (var line = 0; line < written; line += LineLength)
            {
                if (line > 0)
                {
                    into.Write(end);
                }

                into.Write(encoded.AsSpan(line, Math.Min(LineLength, written - line)));
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(encoded);
        }
    }
}

/// <summary>
/// Reads a MIME part's base64 text as it passes, and tells whether it is exactly what a plain encoder writes from the
/// decoded bytes: lines of one length (the last one as long or shorter) with one kind of line end, the alphabet and
/// nothing else inside them, padding only at the very end, the unused bits of the last group zero, and after the last
/// line only white space. Such text is the same bytes again when the attachment is encoded once more, so it can be
/// taken out of the stored message and written back on reading; any other text (odd line lengths, stray characters,
/// text after the padding) stays where it is.
/// </summary>
public sealed class Base64Shape
{
    private static readonly SearchValues<byte> Alphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"u8);

    private int _lineLength = -1;
    private int _current;
    private int _lines;
    private long _chars;
    private int _pads;
    private int _last;
    private bool? _crlf;
    private bool _cr;
    private bool _ended;
    private bool _failed;
    private long _position;

    /// <summary>The bytes of base64 text from the start of the part, up to its last character (the white space after it stays).</summary>
    public long Length { get; private set; }

    public void Feed(ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        while (i < bytes.Length && !_failed)
        {
            var b = bytes[i];
            if (!_ended && !_cr && _pads == 0 && Alphabet.Contains(b))
            {
                // A run of the alphabet, in one step.
                var run = bytes[i..].IndexOfAnyExcept(Alphabet);
                run = run < 0 ? bytes.Length - i : run;
                _current += run;
                _chars += run;
                _last = Value(bytes[i + run - 1]);
                i += run;
                _position += run;
                Length = _position;
                _failed = _lineLength > 0 && _current > _lineLength;
                continue;
            }

            Step(b);
            i++;
            _position++;
        }
    }

    private void Step(byte b)
    {
        if (_ended)
        {
            _failed = b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n');
            return;
        }

        switch (b)
        {
            case (byte)'=' when !_cr:
                _pads++;
                _current++;
                _chars++;
                Length = _position + 1;
                _failed = _pads > 2 || (_lineLength > 0 && _current > _lineLength);
                break;
            case (byte)'\r' when !_cr:
                _cr = true;
                break;
            case (byte)'\n':
                EndLine(crlf: _cr);
                break;
            case (byte)' ' or (byte)'\t' when !_cr:
                // White space after a line's text: that line was the last; only white space may follow.
                _failed = _current == 0;
                _ended = true;
                break;
            default:
                // Padding followed by text, a CR alone, or a character outside the alphabet.
                _failed = true;
                break;
        }
    }

    private void EndLine(bool crlf)
    {
        _cr = false;
        if (_current == 0)
        {
            // An empty line: the text ended with the line before (if there was one).
            _failed = _lines == 0;
            _ended = true;
            return;
        }

        if (_lineLength < 0)
        {
            _lineLength = _current;
            _crlf = crlf;
        }
        else if (_crlf != crlf)
        {
            _failed = true;
            return;
        }

        _ended = _current < _lineLength || _pads > 0;
        _lines++;
        _current = 0;
    }

    /// <summary>
    /// Where the part's text can be taken out, for an attachment of <paramref name="decodedSize"/> bytes: null when it is
    /// not text an encoder writes again the same.
    /// </summary>
    public (long Length, int LineLength, bool Crlf)? Detachable(long decodedSize)
    {
        var lineLength = _lineLength < 0 ? _current : _lineLength;
        var lastValueClear = _pads switch { 0 => true, 1 => (_last & 0x03) == 0, _ => (_last & 0x0F) == 0 };
        if (_failed || _chars < 4 || _chars % 4 != 0 || lineLength < 4 || !lastValueClear || _chars / 4 * 3 - _pads != decodedSize)
        {
            return null;
        }

        return (Length, lineLength, _crlf ?? true);
    }

    private static int Value(byte b) => b switch
    {
        >= (byte)'A' and <= (byte)'Z' => b - 'A',
        >= (byte)'a' and <= (byte)'z' => b - 'a' + 26,
        >= (byte)'0' and <= (byte)'9' => b - '0' + 52,
        (byte)'+' => 62,
        _ => 63,
    };
}
