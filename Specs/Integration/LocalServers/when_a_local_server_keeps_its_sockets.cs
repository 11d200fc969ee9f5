using MailAccounts.Infrastructure.LocalServers;
using MailAccounts.Specs.Support;

namespace MailAccounts.Specs.Integration.LocalServers;

/// <summary>
/// Dovecot's and Postfix's sockets and queue live in a runtime folder named after the data folder. Whoever owns that
/// folder could read or replace them, so it must be the user's alone, at a name no other user can create first.
/// </summary>
[Collection(MailboxCollection.Name)]
public sealed class when_a_local_server_keeps_its_sockets(ProductFixture product)
{
    [Fact]
    public void its_runtime_folder_is_private_to_the_user_at_a_name_no_other_user_can_create_first()
    {
        var runtime = Path.GetDirectoryName(product.MailServer.RuntimeFolder)!;

        var folder = FileStatus.Of(runtime);
        folder.Kind.ShouldBe("directory");
        folder.Owner.ShouldBe(Environment.UserName);
        folder.Mode.ShouldBe(0b111_000_000, $"{runtime} must be 0700");
        FileStatus.Of(Path.GetDirectoryName(runtime)!).OthersMayWrite.ShouldBeFalse(
            $"anyone may create {runtime} first in {Path.GetDirectoryName(runtime)}");
    }

    [Fact]
    public async Task a_runtime_folder_someone_else_made_first_is_not_used()
    {
        // The product's own parent (/run for root) cannot be written by another user; a folder of the spec's own stands in.
        var parent = Directory.CreateTempSubdirectory("mailaccounts-runtime-spec-").FullName;
        try
        {
            var dataFolder = Path.Combine(parent, "data");
            var taken = Path.Combine(parent, "mailaccounts-" + LocalFolders.ShortHash(dataFolder));
            Directory.CreateDirectory(taken);
            File.SetUnixFileMode(taken, (UnixFileMode)0b111_111_111);
            FileStatus.Run("chown", "nobody", taken);

            var refusal = await Should.ThrowAsync<LocalServerException>(() => LocalFolders.RuntimeForAsync(dataFolder, parent, CancellationToken.None));

            refusal.Message.ShouldContain(taken);
            FileStatus.Of(taken).Owner.ShouldBe("nobody");
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }

    [Fact]
    public async Task a_runtime_folder_of_its_own_is_found_again_by_the_next_start()
    {
        var parent = Directory.CreateTempSubdirectory("mailaccounts-runtime-spec-").FullName;
        try
        {
            var dataFolder = Path.Combine(parent, "data");

            var first = await LocalFolders.RuntimeForAsync(dataFolder, parent, CancellationToken.None);
            var second = await LocalFolders.RuntimeForAsync(dataFolder, parent, CancellationToken.None);

            second.ShouldBe(first);
            FileStatus.Of(first).Mode.ShouldBe(0b111_000_000);
        }
        finally
        {
            Directory.Delete(parent, recursive: true);
        }
    }
}
