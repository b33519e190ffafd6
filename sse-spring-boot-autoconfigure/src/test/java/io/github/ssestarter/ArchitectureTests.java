package io.github.ssestarter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packages' dependencies point one way, read from the sources' imports and qualified names:
 * {@code autoconfigure} → {@code internal.actuate} → {@code internal.webmvc} / {@code internal.webflux}
 * → {@code internal.web} / {@code internal.redis} → {@code internal.broadcast} → {@code internal.wire} /
 * {@code observation} → the API in the root package (with {@code wire}, the client for tests, beside
 * it); nothing below {@code autoconfigure} takes part in Spring's life cycle, which the
 * auto-configuration drives; and the public types outside {@code internal} are exactly those the
 * README lists.
 */
class ArchitectureTests {

	private static final Path SOURCES = Path.of("src/main/java/io/github/ssestarter");

	private static final Path README = Path.of("../README.md");

	private static final String ROOT = "(root)";

	/** What each package may use besides itself. */
	private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
			Map.entry(ROOT, Set.of()),
			Map.entry("wire", Set.of(ROOT)),
			Map.entry("observation", Set.of(ROOT)),
			Map.entry("internal.wire", Set.of(ROOT)),
			Map.entry("internal.broadcast", Set.of(ROOT, "internal.wire", "observation")),
			Map.entry("internal.redis", Set.of(ROOT, "internal.wire", "internal.broadcast")),
			Map.entry("internal.web", Set.of(ROOT, "internal.wire", "observation", "internal.broadcast")),
			Map.entry("internal.webmvc",
					Set.of(ROOT, "internal.wire", "observation", "internal.broadcast", "internal.web")),
			Map.entry("internal.webflux",
					Set.of(ROOT, "internal.wire", "observation", "internal.broadcast", "internal.web")),
			Map.entry("internal.actuate", Set.of(ROOT, "internal.broadcast", "internal.web")),
			Map.entry("autoconfigure", Set.of(ROOT, "internal.wire", "observation", "internal.broadcast",
					"internal.redis", "internal.web", "internal.webmvc", "internal.webflux", "internal.actuate")));

	private static final Pattern PROJECT_REFERENCE = Pattern
		.compile("io\\.github\\.ssestarter\\.((?:[a-z]+\\.)*)[A-Z]");

	private static final Pattern LIFE_CYCLE = Pattern.compile(
			"org\\.springframework\\.(context\\.(Smart)?Lifecycle|beans\\.factory\\.(DisposableBean|InitializingBean))\\b");

	private static final Pattern PUBLIC_TYPE = Pattern
		.compile("^public (?:(?:final|abstract|sealed|non-sealed) )*(?:class|interface|enum|record|@interface) (\\w+)");

	private static final Pattern LISTED_PACKAGE = Pattern.compile("^- `io\\.github\\.ssestarter((?:\\.[a-z]+)*)`: (.*)$");

	private static final Pattern LISTED_TYPE = Pattern.compile("`@?(\\w+)`");

	@Test
	void dependenciesBetweenPackagesPointOneWay() throws IOException {
		List<String> violations = new ArrayList<>();
		for (Path source : sources()) {
			String from = packageOf(source);
			assertThat(ALLOWED).as("a package the test knows").containsKey(from);
			for (String line : code(source)) {
				Matcher reference = PROJECT_REFERENCE.matcher(line);
				while (reference.find()) {
					String to = reference.group(1).isEmpty() ? ROOT
							: reference.group(1).substring(0, reference.group(1).length() - 1);
					if (!to.equals(from) && !ALLOWED.get(from).contains(to)) {
						violations.add(SOURCES.relativize(source) + " uses " + to + ": " + line.strip());
					}
				}
			}
		}
		assertThat(violations).isEmpty();
	}

	@Test
	void thePublicTypesOutsideInternalAreThoseTheReadmeLists() throws IOException {
		Set<String> declared = new TreeSet<>();
		for (Path source : sources()) {
			String from = packageOf(source);
			if (from.startsWith("internal.")) {
				continue;
			}
			for (String line : code(source)) {
				Matcher type = PUBLIC_TYPE.matcher(line);
				if (type.find()) {
					declared.add(from + " " + type.group(1));
				}
			}
		}
		assertThat(listedInReadme()).as("the public types the README's \"Modules\" section lists")
			.isEqualTo(declared);
	}

	/** Each item {@code - `io.github.ssestarter.<package>`: `Type`, ...} of the README's "Modules". */
	private static Set<String> listedInReadme() throws IOException {
		List<String> items = new ArrayList<>();
		boolean inModules = false;
		for (String line : Files.readAllLines(README)) {
			if (line.startsWith("## ")) {
				inModules = line.equals("## Modules");
			}
			else if (inModules && line.startsWith("- ")) {
				items.add(line);
			}
			else if (inModules && line.startsWith("  ") && !items.isEmpty()) {
				items.set(items.size() - 1, items.get(items.size() - 1) + " " + line.strip());
			}
		}
		Set<String> listed = new TreeSet<>();
		for (String item : items) {
			Matcher listedPackage = LISTED_PACKAGE.matcher(item);
			if (listedPackage.matches()) {
				String name = listedPackage.group(1).isEmpty() ? ROOT : listedPackage.group(1).substring(1);
				Matcher type = LISTED_TYPE.matcher(listedPackage.group(2));
				while (type.find()) {
					listed.add(name + " " + type.group(1));
				}
			}
		}
		assertThat(listed).as("types listed in the README's \"Modules\" section").isNotEmpty();
		return listed;
	}

	private static List<Path> sources() throws IOException {
		try (Stream<Path> files = Files.walk(SOURCES)) {
			List<Path> sources = files.filter((file) -> file.toString().endsWith(".java")).sorted().toList();
			assertThat(sources).as("the main sources").hasSizeGreaterThan(40);
			return sources;
		}
	}

	private static String packageOf(Path source) {
		Path relative = SOURCES.relativize(source).getParent();
		return (relative == null) ? ROOT : relative.toString().replace('/', '.');
	}

	/** The lines that are code: no package line, no comment. */
	private static List<String> code(Path source) throws IOException {
		List<String> code = new ArrayList<>();
		boolean inComment = false;
		for (String line : Files.readAllLines(source)) {
			String stripped = line.strip();
			if (inComment) {
				inComment = !stripped.contains("*/");
				continue;
			}
			if (stripped.startsWith("/*")) {
				inComment = !stripped.contains("*/");
				continue;
			}
			if (stripped.startsWith("//") || stripped.startsWith("package ")) {
				continue;
			}
			code.add(line);
		}
		return code;
	}

}
