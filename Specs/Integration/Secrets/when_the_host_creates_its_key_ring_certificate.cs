using System.Security.Cryptography.X509Certificates;
using MailAccounts.Infrastructure.Secrets;

namespace MailAccounts.Specs.Integration.Secrets;

/// <summary>
/// ./run.sh lets the host create the key ring's certificate in its data folder at the first start
/// (DataProtection:CreateCertificate): once, for this user's eyes only, and the same one at every later start.
/// </summary>
public sealed class when_the_host_creates_its_key_ring_certificate : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "mailaccounts-keyring-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public void it_is_made_once_readable_by_its_owner_only_and_kept()
    {
        var folder = Path.Combine(_folder, "dataprotection");

        var path = KeyRingCertificate.CreateOnce(folder);

        File.GetUnixFileMode(path).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.GetUnixFileMode(folder).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var first = KeyRingCertificate.Load(path, null);
        first.HasPrivateKey.ShouldBeTrue();
        first.GetRSAPublicKey()!.KeySize.ShouldBe(3072);

        KeyRingCertificate.CreateOnce(folder).ShouldBe(path);
        using var again = KeyRingCertificate.Load(path, null);
        again.Thumbprint.ShouldBe(first.Thumbprint);
        Directory.GetFiles(folder).ShouldBe([path]);
    }

    [Fact]
    public void a_certificate_that_cannot_be_read_stops_the_host_saying_which_setting_to_check()
    {
        var missing = Path.Combine(_folder, "nowhere.pfx");

        var refused = Should.Throw<InvalidOperationException>(() => KeyRingCertificate.Load(missing, "whatever"));

        refused.Message.ShouldContain("DataProtection:CertificatePath");
        refused.Message.ShouldContain(missing);
    }

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }
}
