# Runs inside `cmake --install` (see DepthmonInstall.cmake): CMAKE_INSTALL_PREFIX is the
# install-time prefix here, so the unit's paths follow `--prefix`.
include(${DEPTHMON_SOURCE_DIR}/cmake/DepthmonUnit.cmake)

depthmon_install_paths(${CMAKE_INSTALL_PREFIX} ${DEPTHMON_BINDIR} ${DEPTHMON_SYSCONFDIR}
                       ${DEPTHMON_DOCDIR} ${DEPTHMON_UNITDIR})

# Config: never overwrite what an operator has edited.
foreach(cfg depthmon.toml demo.toml)
  set(src ${DEPTHMON_SOURCE_DIR}/config/${cfg})
  if(NOT EXISTS ${src})
    message(STATUS "Not installing config/${cfg}: not in the source tree yet")
  elseif(EXISTS "$ENV{DESTDIR}${_etc}/depthmon/${cfg}")
    message(STATUS "Keeping existing: $ENV{DESTDIR}${_etc}/depthmon/${cfg}")
  else()
    file(INSTALL DESTINATION ${_etc}/depthmon TYPE FILE PERMISSIONS OWNER_READ OWNER_WRITE
         GROUP_READ WORLD_READ FILES ${src})
  endif()
endforeach()

set(_unit ${DEPTHMON_BINARY_DIR}/install-unit/depthmon.service)
depthmon_render_unit(${DEPTHMON_SOURCE_DIR}/systemd/depthmon.service.in ${_unit}
                     ${_bindir} ${_etc} ${_docdir})
file(INSTALL DESTINATION ${_unitdir} TYPE FILE FILES ${_unit})
