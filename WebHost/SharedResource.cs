namespace MailAccounts.WebHost;

/// <summary>The one resource set of the UI: Resources/SharedResource.resx (English) and .ru.resx (Russian).</summary>
public sealed class SharedResource;
