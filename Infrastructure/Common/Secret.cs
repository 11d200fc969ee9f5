using System.Text.Json;
using System.Text.Json.Serialization;

namespace MailAccounts.Infrastructure.Common;

/// <summary>
/// A password on its way from a form to the code that hashes or encrypts it. It never turns into text by
/// accident: <see cref="ToString"/> is redacted, and serialising it throws, so a command that holds one can
/// never be stored by Wolverine or logged as JSON.
/// </summary>
[JsonConverter(typeof(RefuseToSerialize))]
public sealed class Secret(string value)
{
    public string Reveal() => value;

    public override string ToString() => "***";

    private sealed class RefuseToSerialize : JsonConverter<Secret>
    {
        public override Secret Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new JsonException("Secrets are never deserialised.");

        public override void Write(Utf8JsonWriter writer, Secret value, JsonSerializerOptions options) =>
            throw new JsonException("Secrets are never serialised: send a reference to the protected secret instead.");
    }
}
