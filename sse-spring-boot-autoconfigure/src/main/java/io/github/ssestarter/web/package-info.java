/**
 * Spring MVC integration: which controller methods are event streams, the sources they return
 * pumped to the servlet response or into resumable streams, and the resumption of those streams
 * before their method would run.
 */
@NullMarked
package io.github.ssestarter.web;

import org.jspecify.annotations.NullMarked;
