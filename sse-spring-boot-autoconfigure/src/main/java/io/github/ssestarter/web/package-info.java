/**
 * Spring MVC integration: streams returned by controller methods, written to the servlet response.
 */
@NullMarked
package io.github.ssestarter.web;

import org.jspecify.annotations.NullMarked;
