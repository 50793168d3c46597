// 开通账号: when the role changes, the picker lists that role's own level of departments first
// (the server does the same for ?role= and for a form sent back with errors); a county-wide
// role (县编委办, 监察督查, 数据操作员) is tied to no department, so the picker is hidden.
document.addEventListener("DOMContentLoaded", () => {
  const levels = JSON.parse(document.getElementById("role-levels").textContent);
  const picker = document.getElementById("id_department");
  const row = picker.closest(".form-row");
  const follow = (role) => {
    row.hidden = !(role in levels);
    if (row.hidden) picker.value = "";
    const groups = Array.from(picker.querySelectorAll("optgroup"));
    const own = groups.find((group) => group.label === levels[role]);
    if (own && own !== groups[0]) picker.insertBefore(own, groups[0]);
  };
  const radios = document.querySelectorAll('input[name="role"]');
  radios.forEach((radio) => {
    radio.addEventListener("change", () => follow(radio.value));
    if (radio.checked) follow(radio.value);
  });
});
