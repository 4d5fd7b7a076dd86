using Bun.Delivery.Orchestration.Images;

namespace Bun.Delivery.Tests.Orchestration.Images;

public sealed class AptMirrorTests
{
    [Fact]
    public void The_first_deb822_uri_that_is_not_the_security_archive_wins()
    {
        string[] deb822 =
        [
            "Types: deb\nURIs: http://security.debian.org/debian-security\nSuites: bookworm-security\n",
            "Types: deb\n# a comment\nURIs: http://mirror.example/debian\nSuites: bookworm\n",
        ];

        AptMirror.From(deb822, ["deb http://other.example/debian bookworm main\n"]).ShouldBe("http://mirror.example/debian");
    }

    [Fact]
    public void One_line_sources_with_options_are_read_when_there_is_no_deb822_source()
    {
        AptMirror.From([], ["# deb http://commented.example/debian bookworm main\ndeb [arch=amd64 signed-by=/k.gpg] http://lines.example/debian bookworm main\n"])
            .ShouldBe("http://lines.example/debian");
    }

    [Fact]
    public void Without_any_source_it_is_debs_own_address()
    {
        AptMirror.From([], ["deb-src http://src.example/debian bookworm main\n"]).ShouldBe(AptMirror.Fallback);
    }

    [Fact]
    public void The_sources_files_of_an_apt_folder_are_read()
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(Path.Combine(folder.Path, "sources.list.d"));
        File.WriteAllText(Path.Combine(folder.Path, "sources.list.d", "debian.sources"), "Types: deb\nURIs: http://folder.example/debian\n");

        AptMirror.Find(folder.Path).ShouldBe("http://folder.example/debian");
    }
}
