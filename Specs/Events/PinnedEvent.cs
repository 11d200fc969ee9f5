using System.Runtime.CompilerServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MailAccounts.Specs.Events;

/// <summary>One stored form of an event: the row Marten writes to <c>mt_events</c>, as far as a schema goes.</summary>
/// <param name="Type">The event type name, <c>mt_events.type</c>.</param>
/// <param name="DotNetType">The CLR name, <c>mt_events.mt_dotnet_type</c>.</param>
/// <param name="Data">The JSON, <c>mt_events.data</c>.</param>
public sealed record PinnedEvent(string Type, string DotNetType, JsonObject Data)
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        // Pins are read by people: "+03:00" rather than "\u002B03:00". They are never served to a browser.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The full name of the CLR type that wrote it, which names its aggregate even after the type is gone.</summary>
    public string FullName => DotNetType.Split(',')[0].Trim();

    // Objects compare without regard to member order: reordering a record's parameters changes nothing stored.
    public bool SameAs(PinnedEvent other) =>
        Type == other.Type && DotNetType == other.DotNetType && JsonNode.DeepEquals(Data, other.Data);

    public string ToFileText() =>
        new JsonObject { ["type"] = Type, ["dotNetType"] = DotNetType, ["data"] = Data.DeepClone() }.ToJsonString(Indented) + "\n";

    public static PinnedEvent Parse(string text)
    {
        var pin = JsonNode.Parse(text)!.AsObject();
        return new PinnedEvent((string)pin["type"]!, (string)pin["dotNetType"]!, pin["data"]!.AsObject().DeepClone().AsObject());
    }
}

/// <summary>A pinned form read from a file; <paramref name="Name"/> is its path under the pin folder.</summary>
public sealed record PinFile(string Name, PinnedEvent Pin, bool IsEarlier)
{
    public override string ToString() => Name;
}

/// <summary>
/// The pins: <c>&lt;EventType&gt;.json</c> for each event's current form, and <c>Earlier/&lt;EventType&gt;.&lt;n&gt;.json</c>
/// for the forms it had before, which stay in databases and so stay pinned for the replay specs.
/// </summary>
public sealed class PinFolder(string folder)
{
    /// <summary>Specs/Events/Pinned in the source tree, where the pins are committed; read and written in place.</summary>
    public static PinFolder Product { get; } = new(Path.Combine(SourceFolder(), "Pinned"));

    public string Folder => folder;

    public string EarlierFolder => Path.Combine(folder, "Earlier");

    public string FileFor(Type eventType) => Path.Combine(folder, eventType.Name + ".json");

    /// <summary>A pin file as a person finds it: from the repository's root when it is in the repository.</summary>
    public static string Display(string file)
    {
        var relative = Path.GetRelativePath(RepositoryRoot, file);
        return relative.StartsWith("..", StringComparison.Ordinal) ? file : relative;
    }

    private static string RepositoryRoot => Path.GetFullPath(Path.Combine(SourceFolder(), "..", ".."));

    public PinnedEvent? Current(Type eventType) => File.Exists(FileFor(eventType)) ? PinnedEvent.Parse(File.ReadAllText(FileFor(eventType))) : null;

    /// <summary>Every pinned form, current and earlier.</summary>
    public IReadOnlyList<PinFile> All()
    {
        var current = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.json") : [];
        var earlier = Directory.Exists(EarlierFolder) ? Directory.GetFiles(EarlierFolder, "*.json") : [];
        return
        [
            .. current.Order(StringComparer.Ordinal).Select(f => new PinFile(Path.GetFileName(f), PinnedEvent.Parse(File.ReadAllText(f)), IsEarlier: false)),
            .. earlier.Order(StringComparer.Ordinal).Select(f => new PinFile("Earlier/" + Path.GetFileName(f), PinnedEvent.Parse(File.ReadAllText(f)), IsEarlier: true)),
        ];
    }

    /// <summary>Pins the event's current form; a different form pinned before is kept as an earlier one.</summary>
    public void Pin(Type eventType, PinnedEvent form)
    {
        Directory.CreateDirectory(folder);
        var file = FileFor(eventType);
        if (Current(eventType) is { } pinned)
        {
            if (pinned.SameAs(form))
            {
                return;
            }

            KeepAsEarlier(file);
        }

        File.WriteAllText(file, form.ToFileText());
    }

    /// <summary>Moves a pin to Earlier/, numbered after the forms kept there before it.</summary>
    public string KeepAsEarlier(string file)
    {
        Directory.CreateDirectory(EarlierFolder);
        var name = Path.GetFileNameWithoutExtension(file);
        var number = 1;
        while (File.Exists(Path.Combine(EarlierFolder, $"{name}.{number}.json")))
        {
            number++;
        }

        var earlier = Path.Combine(EarlierFolder, $"{name}.{number}.json");
        File.Move(file, earlier);
        return earlier;
    }

    // The pins are read from the source tree rather than copied next to the test assembly, so that re-pinning
    // writes the files that are committed, and a pin edited by hand is seen without a rebuild.
    private static string SourceFolder([CallerFilePath] string file = "") => Path.GetDirectoryName(file)!;
}
