# The unit's paths for an install prefix, and rendering systemd/depthmon.service.in with them.
# Shared by the install step and the test that keeps systemd/depthmon.service (the /usr
# rendering, checked in) equal to the template.

# Sets _bindir, _etc, _docdir, _unitdir in the caller's scope (absolute paths).
macro(depthmon_install_paths prefix bindir sysconfdir docdir unitdir)
  foreach(_pair "_bindir;${bindir}" "_docdir;${docdir}" "_unitdir;${unitdir}")
    list(GET _pair 0 _var)
    list(GET _pair 1 _rel)
    if(IS_ABSOLUTE "${_rel}")
      set(${_var} "${_rel}")
    else()
      set(${_var} "${prefix}/${_rel}")
    endif()
  endforeach()
  if(IS_ABSOLUTE "${sysconfdir}")
    set(_etc "${sysconfdir}")
  elseif("${prefix}" STREQUAL "/usr")
    set(_etc "/etc")
  else()
    set(_etc "${prefix}/${sysconfdir}")
  endif()
endmacro()

function(depthmon_render_unit template out bindir sysconfdir docdir)
  set(BINDIR "${bindir}")
  set(SYSCONFDIR "${sysconfdir}")
  set(DOCDIR "${docdir}")
  configure_file(${template} ${out} @ONLY)
endfunction()

# cmake -DTEMPLATE=... -DOUT=... [-DPREFIX=/usr] -P DepthmonUnit.cmake renders one unit.
if(CMAKE_SCRIPT_MODE_FILE STREQUAL CMAKE_CURRENT_LIST_FILE)
  if(NOT PREFIX)
    set(PREFIX /usr)
  endif()
  depthmon_install_paths(${PREFIX} bin etc share/doc/depthmon lib/systemd/system)
  depthmon_render_unit(${TEMPLATE} ${OUT} ${_bindir} ${_etc} ${_docdir})
endif()
