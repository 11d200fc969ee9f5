namespace MailAccounts.Domain.Common;

/// <summary>One setting as an event changed it; null on a side means the setting did not exist there.</summary>
public sealed record SettingChange(string Setting, string? Before, string? After);

public static class SettingChanges
{
    /// <summary>The settings whose value differs between two snapshots, in the order the later one lists them.</summary>
    public static IReadOnlyList<SettingChange> Between(
        IReadOnlyList<KeyValuePair<string, string>> before,
        IReadOnlyList<KeyValuePair<string, string>> after)
    {
        var old = before.ToDictionary(p => p.Key, p => p.Value);
        var changes = new List<SettingChange>();
        foreach (var (setting, value) in after)
        {
            var existed = old.Remove(setting, out var previous);
            if (!existed || previous != value)
            {
                changes.Add(new SettingChange(setting, existed ? previous : null, value));
            }
        }

        changes.AddRange(old.Select(p => new SettingChange(p.Key, p.Value, null)));
        return changes;
    }
}
