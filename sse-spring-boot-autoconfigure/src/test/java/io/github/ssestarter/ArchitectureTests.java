package io.github.ssestarter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packages' dependencies point one way, read from the sources' imports and qualified names:
 * {@code autoconfigure} → {@code actuate} → {@code web} / {@code redis} → {@code broadcast} →
 * {@code wire} / {@code observation} → the API in the root package; and nothing below
 * {@code autoconfigure} takes part in Spring's life cycle, which the auto-configuration drives.
 */
class ArchitectureTests {

	private static final Path SOURCES = Path.of("src/main/java/io/github/ssestarter");

	private static final String ROOT = "(root)";

	/** What each package may use besides itself. */
	private static final Map<String, Set<String>> ALLOWED = Map.of(
			ROOT, Set.of(),
			"wire", Set.of(ROOT),
			"observation", Set.of(ROOT),
			"broadcast", Set.of(ROOT, "wire", "observation"),
			"redis", Set.of(ROOT, "wire", "broadcast"),
			"web", Set.of(ROOT, "wire", "observation", "broadcast"),
			"actuate", Set.of(ROOT, "wire", "observation", "broadcast", "web"),
			"autoconfigure", Set.of(ROOT, "wire", "observation", "broadcast", "redis", "web", "actuate"));

	private static final Pattern PROJECT_REFERENCE = Pattern.compile("io\\.github\\.ssestarter\\.(?:([a-z]+)\\.)?[A-Z]");

	private static final Pattern LIFE_CYCLE = Pattern.compile(
			"org\\.springframework\\.(context\\.(Smart)?Lifecycle|beans\\.factory\\.(DisposableBean|InitializingBean))\\b");

	@Test
	void dependenciesBetweenPackagesPointOneWay() throws IOException {
		List<String> violations = new ArrayList<>();
		for (Path source : sources()) {
			String from = packageOf(source);
			assertThat(ALLOWED).as("a package the test knows").containsKey(from);
			for (String line : code(source)) {
				Matcher reference = PROJECT_REFERENCE.matcher(line);
				while (reference.find()) {
					String to = (reference.group(1) != null) ? reference.group(1) : ROOT;
					if (!to.equals(from) && !ALLOWED.get(from).contains(to)) {
						violations.add(SOURCES.relativize(source) + " uses " + to + ": " + line.strip());
					}
				}
			}
		}
		assertThat(violations).isEmpty();
	}

	@Test
	void onlyTheAutoConfigurationTakesPartInSpringsLifeCycle() throws IOException {
		List<String> violations = new ArrayList<>();
		for (Path source : sources()) {
			if (packageOf(source).equals("autoconfigure")) {
				continue;
			}
			for (String line : code(source)) {
				if (LIFE_CYCLE.matcher(line).find()) {
					violations.add(SOURCES.relativize(source) + ": " + line.strip());
				}
			}
		}
		assertThat(violations).isEmpty();
	}

	private static List<Path> sources() throws IOException {
		try (Stream<Path> files = Files.walk(SOURCES)) {
			List<Path> sources = files.filter((file) -> file.toString().endsWith(".java")).sorted().toList();
			assertThat(sources).as("the main sources").hasSizeGreaterThan(40);
			return sources;
		}
	}

	private static String packageOf(Path source) {
		Path relative = SOURCES.relativize(source);
		return (relative.getNameCount() == 1) ? ROOT : relative.getName(0).toString();
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
