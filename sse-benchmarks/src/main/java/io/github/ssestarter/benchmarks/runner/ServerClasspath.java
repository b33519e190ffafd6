package io.github.ssestarter.benchmarks.runner;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The class path a server JVM is started with: the runner's own classes and the {@code lib/}
 * folder beside them (as laid out by {@code mvn package}), or failing that the runner's class path,
 * less the starter's jars for a server that does not use it.
 */
final class ServerClasspath {

	private static final List<String> STARTER_ARTIFACTS = List.of("sse-spring-boot-autoconfigure",
			"sse-spring-boot-starter");

	/** Jars only Spring Data Redis brings (file name prefixes); kept off servers without Redis. */
	private static final List<String> REDIS_ARTIFACTS = List.of("spring-boot-starter-data-redis",
			"spring-boot-data-redis", "spring-boot-data-commons", "spring-boot-persistence", "spring-boot-transaction",
			"spring-boot-netty", "spring-data-", "spring-tx-", "spring-oxm-", "spring-context-support-",
			"spring-messaging-", "lettuce-core-", "redis-authx-", "netty-", "jakarta.xml.bind-api-",
			"jakarta.activation-api-");

	private ServerClasspath() {
	}

	static String forServer(ServerSpec spec) {
		List<String> entries = runnerEntries();
		if (!spec.usesStarter()) {
			entries = entries.stream().filter((entry) -> !isStarterArtifact(entry)).toList();
		}
		if (!spec.usesRedis()) {
			entries = entries.stream().filter((entry) -> !isRedisArtifact(entry)).toList();
		}
		return String.join(File.pathSeparator, entries);
	}

	/**
	 * The folder holding the runner's jar (or classes folder), {@code target} after a build.
	 */
	static Path runnerDirectory() {
		return ownLocation().toAbsolutePath().getParent();
	}

	private static List<String> runnerEntries() {
		Path own = ownLocation();
		Path lib = runnerDirectory().resolve("lib");
		if (Files.isDirectory(lib)) {
			List<String> entries = new ArrayList<>();
			entries.add(own.toString());
			try (Stream<Path> jars = Files.list(lib)) {
				jars.filter((jar) -> jar.toString().endsWith(".jar")).sorted().forEach((jar) -> entries.add(jar.toString()));
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot list " + lib, ex);
			}
			return entries;
		}
		return Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
	}

	private static Path ownLocation() {
		try {
			return Path.of(ServerClasspath.class.getProtectionDomain().getCodeSource().getLocation().toURI());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException("Cannot locate the runner's classes", ex);
		}
	}

	private static boolean isRedisArtifact(String entry) {
		String file = Path.of(entry).getFileName().toString();
		return REDIS_ARTIFACTS.stream().anyMatch(file::startsWith);
	}

	private static boolean isStarterArtifact(String entry) {
		return STARTER_ARTIFACTS.stream().anyMatch(entry::contains);
	}

}
